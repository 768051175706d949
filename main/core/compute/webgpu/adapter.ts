// Finding a WebGPU adapter in Node through Dawn (the `webgpu` package: Chromium's WebGPU, prebuilt for
// linux-x64, darwin and win32), and telling a real GPU from a software rasteriser.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU emulation (SwiftShader, llvmpipe/lavapipe, WARP): correct but slower than wasm. */
  software: boolean;
}

/** What the ladder needs to start tfjs on the adapter: kept so the GPU object stays alive. */
export interface FoundAdapter {
  gpu: GPU;
  adapter: GPUAdapter;
  info: AdapterInfo;
}

/** No adapter on this machine: the rung is skipped, not failed. */
export class NoAdapter extends Error {}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|\bwarp\b|basic render/i;

export function describeAdapter(raw: GPUAdapterInfo): AdapterInfo {
  const info = {
    vendor: raw.vendor || 'unknown vendor',
    architecture: raw.architecture || '',
    device: raw.device || '',
    description: raw.description || '',
  };
  const fallback = (raw as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return { ...info, software: fallback || SOFTWARE.test(`${info.architecture} ${info.device} ${info.description}`) };
}

/** One line naming the adapter for `homegrown info`, the app and recipes. */
export function adapterName(a: AdapterInfo): string {
  const what = [a.vendor, a.architecture].filter(Boolean).join(' ');
  return `${a.description || a.device || what}${a.description && what ? ` (${what})` : ''}`;
}

/**
 * Dawn reaches Linux GPUs through Vulkan and prints a warning to stderr when the Vulkan loader is
 * missing, so look for libvulkan.so.1 first, where the dynamic linker would: LD_LIBRARY_PATH, then
 * its cache. Returns why not, or undefined when found.
 */
export function missingVulkanLoader(env: NodeJS.ProcessEnv = process.env, cache = '/etc/ld.so.cache'): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const dirs = (env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  if (dirs.some((d) => existsSync(path.join(d, 'libvulkan.so.1')))) return undefined;
  try {
    if (readFileSync(cache).includes('libvulkan.so.1')) return undefined;
  } catch {
    // No linker cache (some containers): fall through to the usual folders.
  }
  const usual = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu'];
  if (usual.some((d) => existsSync(path.join(d, 'libvulkan.so.1')))) return undefined;
  return 'no Vulkan loader (libvulkan.so.1): install your GPU driver with Vulkan support (the libvulkan1 package)';
}

/** Load Dawn and ask for the high-performance adapter. Throws NoAdapter when there is none. */
export async function findAdapter(): Promise<FoundAdapter> {
  const why = missingVulkanLoader();
  if (why) throw new NoAdapter(why);
  let dawn: typeof import('webgpu');
  try {
    dawn = await import('webgpu');
  } catch (err) {
    throw new NoAdapter(`Dawn (the webgpu package) did not load: ${(err as Error).message.split('\n')[0]}`);
  }
  // tfjs-backend-webgpu reads GPUBufferUsage, GPUMapMode and friends as globals.
  for (const [k, v] of Object.entries(dawn.globals)) if (!(k in globalThis)) Object.assign(globalThis, { [k]: v });
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new NoAdapter('no WebGPU adapter: Dawn found no GPU driver it can use (Vulkan, Metal or Direct3D 12)');
  return { gpu, adapter, info: describeAdapter(adapter.info) };
}
