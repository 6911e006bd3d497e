// Browser launch settings for the repository's tests. The one definition lives in
// se-conformance, which ships it to users (its --browser flag launches Chromium too).
export {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  chromiumUnavailableReason,
} from '../packages/se-conformance/src/browser/chromium.js';
