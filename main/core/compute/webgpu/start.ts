// Starting tfjs-backend-webgpu on an adapter we chose, and watching the device for the failures a GPU
// has and a CPU does not: the device lost (driver reset, GPU unplugged, laptop asleep) and out of memory.
import { tf } from '../tf';
import { restoreStockGradients } from './gradients';
import type { FoundAdapter } from './adapter';

let fault: string | undefined;

/** Why the GPU cannot go on (device lost, out of memory), or undefined while it is healthy. */
export function webgpuFault(): string | undefined {
  return fault;
}

/**
 * What an error thrown while the webgpu backend ran says about the GPU: out of memory (the work was too
 * big for it: going on elsewhere would not help), or any other failure (device lost, driver reset).
 */
export function webgpuFailure(err: unknown): 'memory' | 'lost' | 'other' {
  const text = `${fault ?? ''} ${err instanceof Error ? err.message : String(err)}`;
  if (/out of memory|OutOfMemory|allocation failed/i.test(text)) return 'memory';
  if (fault?.startsWith('device lost') || /device.*lost|lost.*device/i.test(text)) return 'lost';
  return 'other';
}

/** A one-line message for an error thrown while the webgpu backend ran, in the user's words. */
export function explainWebgpuError(err: unknown): string {
  const kind = webgpuFailure(err);
  if (kind === 'memory') return 'The GPU ran out of memory: lower the batch size or the image size, or train on wasm';
  if (kind === 'lost') return 'The GPU stopped answering (WebGPU device lost: driver reset, sleep or unplugged GPU)';
  return `The GPU failed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]!}`;
}

/** Register tfjs's 'webgpu' backend on `found`'s adapter and make it current. */
export async function startWebgpu(found: FoundAdapter): Promise<void> {
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  const { adapter, gpu } = found;
  const limits = adapter.limits;
  // The limits tfjs-backend-webgpu asks for in a browser; the defaults are too small for our convs.
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  });
  fault = undefined;
  // Homegrown never destroys its device, so any loss is a failure.
  void device.lost.then((info) => {
    fault = `device lost: ${info.message.split('\n')[0] || info.reason}`;
  });
  device.addEventListener('uncapturederror', (ev) => {
    const error = (ev as GPUUncapturedErrorEvent).error;
    fault ??= error instanceof GPUOutOfMemoryError ? `out of memory: ${error.message}` : error.message.split('\n')[0];
  });
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => construct(WebGPUBackend, device, adapter.info, gpu));
  restoreStockGradients();
}

/** The backend's constructor checks navigator.gpu once; Dawn keeps Node alive while a global holds it. */
function construct<T>(Backend: new (device: GPUDevice, info: GPUAdapterInfo) => T, device: GPUDevice, info: GPUAdapterInfo, gpu: GPU): T {
  const g = globalThis as { navigator?: { gpu?: GPU } };
  const hadNavigator = 'navigator' in globalThis;
  const nav = g.navigator ?? {};
  const before = Object.getOwnPropertyDescriptor(nav, 'gpu');
  Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  if (!hadNavigator) Object.defineProperty(globalThis, 'navigator', { value: nav, configurable: true });
  try {
    return new Backend(device, info);
  } finally {
    if (!hadNavigator) delete (globalThis as { navigator?: unknown }).navigator;
    else if (before) Object.defineProperty(nav, 'gpu', before);
    else delete nav.gpu;
  }
}
