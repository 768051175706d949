// The bench's ratio only means something if bench/torch_gan.py builds the engine's network: same parameter
// names and sizes at 32 px, and at 128 px where the channel widths reach their cap of 256.
import { describe, expect, it } from 'vitest';
import { paramSizes, upsampleKind } from '../../../bench/engine';
import { findTorchPython, paramMismatches, runJson, TORCH_INSTALL, torchArgs, type TorchTrial } from '../../../bench/run';
import { initBackend } from '#core/compute/backend';
import { parseConfig } from '#core/ml/config';
import { createModel } from '#core/ml/models';
import { disposeParams } from '#core/ml/params';
import { Rng } from '#shared/rng';

const VOCAB = 24;
const python = findTorchPython();

describe('bench/torch_gan.py', () => {
  for (const size of [32, 128] as const) {
    it(`has the engine GAN's parameter names and sizes at ${size} px`, async (ctx) => {
      if (!python) return ctx.skip(`PyTorch is not importable by /usr/bin/python3 or python3 (install: ${TORCH_INSTALL})`);
      await initBackend({ force: 'cpu' });
      const model = createModel(parseConfig({ model: 'gan', size }), VOCAB, new Rng(0));
      const engine = paramSizes(model.params);
      const upsample = upsampleKind(model.params);
      disposeParams(model.params);
      const torch = await runJson<TorchTrial>(python, [...torchArgs(size, upsample, VOCAB), '--params-only']);
      expect(paramMismatches(engine, torch.param_sizes)).toEqual([]);
      expect(torch.params).toBe(Object.values(engine).reduce((a, b) => a + b, 0));
    });
  }
});
