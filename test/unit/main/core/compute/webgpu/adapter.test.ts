import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterName, describeAdapter, missingVulkanLoader } from '#core/compute/webgpu/adapter';

const info = (o: Partial<GPUAdapterInfo & { isFallbackAdapter: boolean }>) =>
  ({ vendor: '', architecture: '', device: '', description: '', ...o }) as GPUAdapterInfo;

describe('describeAdapter', () => {
  it('tells software rasterisers from GPUs', () => {
    const sw = describeAdapter(info({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' }));
    expect(sw.software).toBe(true);
    expect(describeAdapter(info({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).software).toBe(true);
    expect(describeAdapter(info({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' })).software).toBe(true);
    expect(describeAdapter(info({ vendor: 'nvidia', isFallbackAdapter: true })).software).toBe(true);
    const gpu = describeAdapter(info({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3060' }));
    expect(gpu.software).toBe(false);
    expect(describeAdapter(info({ vendor: 'apple', architecture: 'metal-3', description: 'Apple M2' })).software).toBe(false);
  });

  it('names an adapter by its description, vendor and architecture', () => {
    expect(adapterName(describeAdapter(info({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3060' })))).toBe(
      'NVIDIA GeForce RTX 3060 (nvidia ampere)',
    );
    expect(adapterName(describeAdapter(info({ vendor: 'intel', architecture: 'gen-12lp' })))).toBe('intel gen-12lp');
  });
});

describe('missingVulkanLoader', () => {
  it.runIf(process.platform === 'linux')(
    'finds libvulkan.so.1 in LD_LIBRARY_PATH or the linker cache, else says what to install',
    async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-vulkan-'));
      const cache = path.join(dir, 'ld.so.cache');
      await fs.writeFile(cache, 'glibc-ld.so.cache1.1 libc.so.6 /lib/libc.so.6');
      const none = missingVulkanLoader({}, cache);
      // This machine may have a loader in a usual folder; when it does not, the reason names the package.
      if (none !== undefined) expect(none).toMatch(/no Vulkan loader \(libvulkan\.so\.1\).*libvulkan1/);
      await fs.writeFile(path.join(dir, 'libvulkan.so.1'), '');
      expect(missingVulkanLoader({ LD_LIBRARY_PATH: `/nowhere:${dir}` }, cache)).toBeUndefined();
      await fs.writeFile(cache, 'glibc-ld.so.cache1.1 libvulkan.so.1 /usr/lib/libvulkan.so.1');
      expect(missingVulkanLoader({}, cache)).toBeUndefined();
      await fs.rm(dir, { recursive: true });
    },
  );
});
