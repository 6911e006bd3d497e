// Whether this Chromium has a WebGPU adapter (here Dawn's CPU adapter, with the repository's flags).

/** Why WebGPU cannot run here, or undefined when an adapter is available. */
export async function gpuUnavailable(): Promise<string | undefined> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return 'navigator.gpu is missing (Chromium without --enable-unsafe-webgpu?)';
  return (await gpu.requestAdapter()) ? undefined : 'navigator.gpu.requestAdapter() returned null';
}
