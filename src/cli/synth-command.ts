import type { Argv } from 'yargs';
import { synthCalibrateOptions, runSynthCalibrate } from './synth-calibrate-command.js';
import { synthGenerateOptions, runSynthGenerate } from './synth-generate-command.js';

/** `synth` writes synthetic opens; `synth calibrate` fits a profile from real tapes. */
export function registerSynth(y: Argv): Argv {
  return y.command('synth', 'generate seeded synthetic opens as tape files (or `synth calibrate` a profile from real tapes)', (sy) =>
    synthGenerateOptions(
      sy.command('calibrate', 'fit a symbol profile from real tapes', synthCalibrateOptions, (args) => runSynthCalibrate(args)),
    ), (args) => runSynthGenerate(args));
}
