import { seal, unseal } from '../auth/sessionCrypto.ts';

const FLASH_PURPOSE = 'console-flash';
/** a flash message is for the page the form redirects to, not for a bookmark */
const FLASH_TTL_SECONDS = 120;

export interface Flash {
  kind: 'done' | 'error';
  text: string;
}

/**
 * A console form's outcome travels to the page it redirects to as `?flash=…`: encrypted and
 * authenticated, so nobody can craft a link that makes the console say something it did not
 * (the text may be the API's own problem detail, which a code could not carry).
 */
export function sealFlash(flash: Flash): Promise<string> {
  return seal(FLASH_PURPOSE, { ...flash }, FLASH_TTL_SECONDS);
}

export async function readFlash(value: string | string[] | undefined): Promise<Flash | undefined> {
  const flash = await unseal<Flash>(FLASH_PURPOSE, typeof value === 'string' ? value : undefined);
  if (!flash || (flash.kind !== 'done' && flash.kind !== 'error') || typeof flash.text !== 'string')
    return undefined;
  return flash;
}
