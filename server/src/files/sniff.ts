/**
 * The type of a file from its first bytes, never from its name or the
 * client's Content-Type. Only types a CRM needs are accepted; anything else
 * (executables, HTML, SVG with scripts...) is refused.
 */
export interface Sniffed { mime: string; image: boolean }

const SIGNATURES: { mime: string; image: boolean; match: (b: Buffer) => boolean }[] = [
  { mime: 'image/png', image: true, match: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: 'image/jpeg', image: true, match: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/gif', image: true, match: (b) => b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a' },
  { mime: 'image/webp', image: true, match: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { mime: 'application/pdf', image: false, match: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  // docx / xlsx / pptx and plain zip archives.
  { mime: 'application/zip', image: false, match: (b) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04 },
  // Legacy Office (doc / xls / ppt).
  { mime: 'application/x-ole-storage', image: false, match: (b) => b.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) },
];

const OFFICE_BY_EXT: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};

export function sniff(bytes: Buffer, name: string): Sniffed | undefined {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  for (const s of SIGNATURES) {
    if (!s.match(bytes)) continue;
    // A zip or OLE container named like an Office file is served as that Office type.
    if ((s.mime === 'application/zip' || s.mime === 'application/x-ole-storage') && OFFICE_BY_EXT[ext]) return { mime: OFFICE_BY_EXT[ext]!, image: false };
    if (s.mime === 'application/x-ole-storage') return undefined;
    return { mime: s.mime, image: s.image };
  }
  // Plain text (csv / txt): valid UTF-8, no NUL bytes, and not markup a browser would run.
  if ((ext === 'csv' || ext === 'txt') && !bytes.includes(0) && isUtf8(bytes) && !/^\s*</.test(bytes.subarray(0, 512).toString('utf8'))) {
    return { mime: ext === 'csv' ? 'text/csv' : 'text/plain', image: false };
  }
  return undefined;
}

function isUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}
