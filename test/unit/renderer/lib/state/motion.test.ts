import { describe, expect, it } from 'vitest';
import { AnimateState, EditState, WalkState, sequenceOf } from '../../../../../renderer/lib/state/motion.svelte';
import { fakeApi, generation } from '#test/unit/renderer/fake-api';

const started = (jobId: string) => ({ jobId, unknownWords: ['zorp'] });
const strip = (id: number) => generation(id, { params: { kind: 'walk', sequence: { frames: 6, width: 32, height: 32, kind: 'walk' } } });

describe('the Edit, Walk and Animate states', () => {
  it('send the form as the contract expects and take their own job’s result', async () => {
    const f = fakeApi({ 'walk.start': () => started('motion-1-a') });
    const w = new WalkState(f.api);
    await w.start();
    expect(f.calls).toEqual([]); // no run chosen: nothing is sent
    w.runId = 2;
    Object.assign(w, { from: 'red, circle', to: 'blue, square', seed: 3, toSeed: 4, frames: 6, fps: 12 });
    await w.start();
    expect(f.calls[0]).toEqual({
      method: 'walk.start',
      input: { runId: 2, from: 'red, circle', to: 'blue, square', negative: '', seed: 3, toSeed: 4, frames: 6, fps: 12 },
    });
    expect(w.running).toBe(true);
    f.emit({ type: 'motion.progress', jobId: 'motion-1-a', done: 3, total: 6 });
    expect(w.progress).toBe('3/6');
    f.emit({ type: 'generation.image', jobId: 'motion-9-z', index: 0, total: 1, generation: strip(9), cell: null });
    f.emit({ type: 'generation.image', jobId: 'motion-1-a', index: 0, total: 1, generation: strip(5), cell: null });
    f.emit({ type: 'generation.done', jobId: 'motion-1-a', count: 1 });
    expect([w.result?.id, w.running]).toEqual([5, false]);
    expect(sequenceOf(w.result!)).toEqual({ frames: 6, width: 32, height: 32, kind: 'walk' });
    expect(sequenceOf(generation(1))).toBeNull();
  });

  it('draw with the chosen checkpoint and take a suggestion into the box it was shown under', async () => {
    const f = fakeApi({ 'walk.start': () => started('motion-1-a') });
    const w = new WalkState(f.api);
    Object.assign(w, { runId: 2, checkpointId: 7, from: 'red, circel', to: 'circel, square' });
    w.take('from', 'circel', 'circle');
    expect([w.from, w.to]).toEqual(['red, circle', 'circel, square']);
    await w.start();
    expect(f.calls[0]!.input).toMatchObject({ runId: 2, checkpointId: 7 });
    w.checkpointId = null;
    await w.start();
    expect(f.calls[1]!.input).not.toHaveProperty('checkpointId');
  });

  it('keep a new speed for the result, which then carries it', async () => {
    const kept = generation(5, { params: { kind: 'walk', sequence: { frames: 6, width: 32, height: 32, kind: 'walk', fps: 3 } } });
    const f = fakeApi({ 'sequence.fps': () => kept });
    const w = new WalkState(f.api);
    await w.keepFps(3);
    expect(f.calls).toEqual([]); // no result yet: nothing is sent
    w.result = strip(5);
    await w.keepFps(3);
    expect(f.calls[0]).toEqual({ method: 'sequence.fps', input: { generationId: 5, fps: 3 } });
    expect(sequenceOf(w.result)?.fps).toBe(3);
  });

  it('keep the events of a job that finished before its start call answered', async () => {
    const f = fakeApi({});
    const a = new AnimateState(f.api);
    a.runId = 1;
    a.first = { data: 'AAAA', name: 'first.png', url: 'blob:1' };
    a.prompt = 'left';
    let answer: () => void = () => undefined;
    f.api.call = (async () => {
      await new Promise<void>((r) => (answer = r));
      return started('motion-2-b');
    }) as typeof f.api.call;
    const call = a.animate();
    f.emit({ type: 'generation.image', jobId: 'motion-2-b', index: 0, total: 1, generation: strip(7), cell: null });
    f.emit({ type: 'generation.done', jobId: 'motion-2-b', count: 1 });
    answer();
    await call;
    expect([a.result?.id, a.running]).toEqual([7, false]);
  });

  it('show a refused call and a failed job', async () => {
    const f = fakeApi({
      'edit.start': () => {
        throw new Error('Run 1 is a gan run, which cannot read images');
      },
    });
    const e = new EditState(f.api);
    e.runId = 1;
    e.source = { data: 'AAAA', name: 'a.png', url: 'blob:a' };
    await e.start();
    expect([e.error, e.running]).toEqual(['Run 1 is a gan run, which cannot read images', false]);
    f.api.call = (async () => started('motion-3-c')) as typeof f.api.call;
    await e.start();
    expect(e.error).toBeNull();
    f.emit({ type: 'job.error', jobId: 'motion-3-c', runId: 1, error: { code: 'user', message: 'out of memory' } });
    expect([e.error, e.running]).toEqual(['out of memory', false]);
  });
});
