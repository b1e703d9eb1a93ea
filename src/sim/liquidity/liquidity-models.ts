import { conservativeLiquidity } from './conservative.js';
import type { LiquidityModel, LiquidityName } from './liquidity-model.js';
import { nominalLiquidity } from './nominal.js';

const MODELS: Readonly<Record<LiquidityName, LiquidityModel>> = {
  conservative: conservativeLiquidity,
  nominal: nominalLiquidity,
};

/** The model of that name. */
export function liquidityModel(name: LiquidityName): LiquidityModel {
  return MODELS[name];
}
