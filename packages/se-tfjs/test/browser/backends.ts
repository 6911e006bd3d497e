import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';

export const BROWSER_BACKENDS = ['webgl', 'webgpu', 'cpu'] as const;

/** Switches backend; returns why it could not, or undefined. */
export async function tryBackend(name: string): Promise<string | undefined> {
  if (name === 'webgpu' && !('gpu' in navigator))
    return 'navigator.gpu is missing (Chromium needs --enable-unsafe-webgpu)';
  try {
    if (!(await tf.setBackend(name))) return `tf.setBackend('${name}') returned false`;
    await tf.ready();
    return undefined;
  } catch (error) {
    return `tf.setBackend('${name}') threw: ${String(error)}`;
  }
}

/**
 * The precision class of the active backend. WebGL's own floatPrecision() answers 16 whenever
 * float32 rendering is enabled (tensorflow/tfjs#6980), so the flag is read as well.
 */
export function precisionInfo(): string {
  const backend = tf.getBackend();
  if (backend !== 'webgl') return `${backend}: float32`;
  const flag = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
  const reported = (tf.backend() as unknown as { floatPrecision(): number }).floatPrecision();
  const version = tf.env().getNumber('WEBGL_VERSION');
  return `webgl${version}: WEBGL_RENDER_FLOAT32_ENABLED=${flag} (float${flag ? 32 : 16} textures), floatPrecision()=${reported} (tfjs#6980)`;
}
