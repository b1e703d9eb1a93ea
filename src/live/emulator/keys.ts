/** The API key pair the emulator accepts (REST headers and stream authentication). */
export interface Keys {
  readonly keyId: string;
  readonly secret: string;
}

/** The emulator's own keys, used when APCA_API_KEY_ID / APCA_API_SECRET_KEY are not set. */
export const DEFAULT_EMULATOR_KEYS: Keys = { keyId: 'EMULATORKEY', secret: 'emulator-secret' };

/**
 * The keys a user already exported for Alpaca, when both are set: a client configured from the
 * environment then talks to the emulator unchanged. Otherwise the emulator's defaults.
 */
export function keysFromEnv(env: NodeJS.ProcessEnv = process.env): { readonly keys: Keys; readonly fromEnv: boolean } {
  const keyId = env['APCA_API_KEY_ID'] ?? '';
  const secret = env['APCA_API_SECRET_KEY'] ?? '';
  return keyId !== '' && secret !== '' ? { keys: { keyId, secret }, fromEnv: true } : { keys: DEFAULT_EMULATOR_KEYS, fromEnv: false };
}
