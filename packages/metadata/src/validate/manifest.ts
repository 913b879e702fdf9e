import type { Manifest } from '../schemas/manifest.js';
import { isSemverRange } from '../semver-range.js';
import { ptr, type Sinks } from './issue.js';

/** Version ranges of what the template requires follow npm's grammar. */
export function checkManifest(m: Manifest, { own }: Sinks): void {
  const platform = m.requires?.platform;
  if (platform !== undefined && !isSemverRange(platform)) own('/requires/platform', 'META_BAD_FORMAT', { example: '>=0.1.0' });
  for (const [id, range] of Object.entries(m.requires?.templates ?? {})) {
    if (!isSemverRange(range)) own(ptr('requires', 'templates', id), 'META_BAD_FORMAT', { example: '^1.2.0' });
  }
}
