// Browser tests only: whether this browser can run onnxruntime-web's webgpu EP.

/** Why WebGPU is unavailable here (printed as the skip reason), or undefined when it is available. */
export async function webgpuUnavailable(): Promise<string | undefined> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return 'navigator.gpu is missing (Chromium without --enable-unsafe-webgpu?)';
  if (!(await gpu.requestAdapter())) return 'navigator.gpu.requestAdapter() returned null';
  return undefined;
}
