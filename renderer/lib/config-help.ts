// The Advanced training settings in an artist's words: a label and one line on what each changes in
// the images. The raw config name stays in the tooltip (it is what the command line's --set takes).

export interface SettingHelp {
  label: string;
  help: string;
}

export const SETTING_HELP: Record<string, SettingHelp> = {
  fit: { label: 'Framing', help: '“crop” fills the square and may cut edges off; “pad” keeps the whole picture with borders.' },
  batch: { label: 'Images per step', help: 'More gives steadier learning but each step takes longer and needs more memory.' },
  seed: { label: 'Training seed', help: 'The same seed and settings train the same model again.' },
  channels: { label: 'Model capacity', help: 'Higher learns finer detail and more variety, but trains slower and is a bigger file.' },
  zDim: { label: 'Variety', help: 'Room for differences between images of one prompt; too low makes them all alike.' },
  embDim: { label: 'Word detail', help: 'How much each prompt word can carry; raise it when many words describe small differences.' },
  styleDim: { label: 'Style detail', help: 'How finely the prompt steers colours and shapes through the whole image.' },
  lr: { label: 'Learning speed', help: 'Higher learns faster but can turn images into noise; lower is slower and safer.' },
  beta1: { label: 'Momentum', help: 'How much each step follows the previous ones; 0 suits GANs.' },
  beta2: { label: 'Step smoothing', help: 'How evenly step sizes are averaged over time; rarely needs changing.' },
  emaBeta: { label: 'Smoothing of results (EMA)', help: 'Higher gives calmer, cleaner images that follow training more slowly.' },
  augment: {
    label: 'Augmentation',
    help: 'Shifts, recolours and cut-outs shown to the judge so a small folder is not memorised; “none” for none.',
  },
  colorChance: {
    label: 'Recolouring share (GAN)',
    help: 'How many images the judge sees recoloured; lower keeps results closer to your colours, 1 recolours all.',
  },
  modeSeeking: {
    label: 'Seed variety (GAN)',
    help: 'Pushes two seeds of one prompt to different images; higher varies more but follows the prompt less; 0 is off.',
  },
  klWeight: { label: 'Tidiness (VAE)', help: 'Higher makes smoother, more blendable images; lower keeps more detail but mixes worse.' },
  klWarmup: { label: 'Tidiness warm-up (VAE)', help: 'Steps over which tidiness grows from nothing, so detail is learned first.' },
  negativeScale: { label: 'Negative prompt strength', help: 'How strongly a negative prompt pushes its words out of the image.' },
  upsample: {
    label: 'Enlarging',
    help: '“resize” enlarges the picture smoothly at each size (less colour speckle); “subpixel” is how older runs were made.',
  },
  alpha: { label: 'Transparency', help: '“auto” learns transparency when your images have it; “on” or “off” to decide yourself.' },
  snap: {
    label: 'Snap to palette',
    help: '“auto” snaps results to the colours of your images when they are pixel art; “on” or “off” to decide yourself.',
  },
  palette: { label: 'Palette', help: 'Colours to snap to, e.g. #1a2b3c,#ffffff; empty takes them from your images.' },
  sampleEvery: { label: 'Preview every', help: 'Steps between the sample grids shown while training.' },
  checkpointEvery: { label: 'Save every', help: 'Steps between saved checkpoints you can generate from or resume.' },
  keepCheckpoints: { label: 'Checkpoints kept', help: 'Older ones are deleted to save disk space.' },
};

/** Label, help and tooltip of a setting; an unknown one is shown by its raw name. */
export function settingHelp(key: string): SettingHelp & { title: string } {
  const h = SETTING_HELP[key] ?? { label: key, help: '' };
  return { ...h, title: `Setting “${key}” (homegrown train --set ${key}=…)` };
}
