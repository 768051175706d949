import { describe, expect, it } from 'vitest';
import { SETTING_HELP, settingHelp } from '../../../../renderer/lib/config-help';
import { TrainConfigSchema } from '#core/ml/config';

describe('settingHelp', () => {
  it('gives every advanced training setting a label and a line of help in plain words', () => {
    const advanced = Object.keys(TrainConfigSchema.shape).filter((k) => !['model', 'size', 'steps'].includes(k));
    expect(advanced.filter((k) => !SETTING_HELP[k]?.label || !SETTING_HELP[k]?.help)).toEqual([]);
    expect(Object.keys(SETTING_HELP).filter((k) => !advanced.includes(k))).toEqual([]);
    expect(settingHelp('emaBeta')).toEqual({
      label: 'Smoothing of results (EMA)',
      help: expect.stringMatching(/calmer/),
      title: 'Setting “emaBeta” (homegrown train --set emaBeta=…)',
    });
    expect(settingHelp('newThing')).toMatchObject({ label: 'newThing', help: '' });
  });
});
