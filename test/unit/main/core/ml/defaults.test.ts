import { describe, expect, it } from 'vitest';
import { parseConfig } from '#core/ml/config';
import { defaultsFor, GAN_MIN_IMAGES, type FolderFacts } from '#core/ml/defaults';

const facts = (f: Partial<FolderFacts>): FolderFacts => ({ count: 400, nativeSize: 64, transparency: false, pixelArt: false, ...f });

describe('defaults from the folder', () => {
  it('72 px pixel-art sprites train at 72, without colour augmentation, snapped to their palette', () => {
    const d = defaultsFor(facts({ count: 404, nativeSize: 72, transparency: true, pixelArt: true }));
    expect(d.config).toMatchObject({ model: 'gan', size: 72, channels: 16, augment: ['translation', 'cutout'], snap: 'on' });
    expect(d.reasons.size).toMatch(/pixel art's own size/);
    expect(d.reasons.alpha).toMatch(/transparency/);
  });

  it('photos and drawings train at 64 px at most; small images at their own size, to a multiple of 8', () => {
    expect(defaultsFor(facts({ nativeSize: 1024 })).config.size).toBe(64);
    expect(defaultsFor(facts({ nativeSize: 30 })).config.size).toBe(32);
    expect(defaultsFor(facts({ nativeSize: 10 })).config.size).toBe(16);
    expect(defaultsFor(facts({ nativeSize: 20, pixelArt: true })).config.size).toBe(24);
    expect(defaultsFor(facts({ nativeSize: 512, pixelArt: true })).config.size).toBe(64);
  });

  it('too few images for a GAN get a VAE, and the batch never exceeds the images', () => {
    expect(defaultsFor(facts({ count: GAN_MIN_IMAGES - 1 })).config.model).toBe('vae');
    expect(defaultsFor(facts({ count: GAN_MIN_IMAGES })).config.model).toBe('gan');
    expect(defaultsFor(facts({ count: 5 })).config.batch).toBe(5);
    expect(defaultsFor(facts({})).config).not.toHaveProperty('snap');
  });

  it('every choice is a valid config, with a reason for model and size', () => {
    for (const count of [1, 50, 100, 5000])
      for (const nativeSize of [8, 16, 72, 100, 200, 256, 4000])
        for (const pixelArt of [false, true]) {
          const d = defaultsFor(facts({ count, nativeSize, pixelArt }));
          expect(() => parseConfig(d.config)).not.toThrow();
          expect(Object.keys(d.reasons)).toEqual(expect.arrayContaining(['model', 'size']));
        }
  });
});
