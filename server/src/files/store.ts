import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** Where file bytes live. The default keeps them on disk; an S3-compatible store fits the same port. */
export interface FileStore {
  put(workspaceId: string, fileId: string, bytes: Buffer): Promise<void>;
  get(workspaceId: string, fileId: string): Readable;
  remove(workspaceId: string, fileId: string): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Files under `<root>/<workspace id>/<file id>`: both are uuids we generated, so no name from a client reaches a path. */
export class LocalFileStore implements FileStore {
  constructor(private readonly root: string) {}

  private path(workspaceId: string, fileId: string) {
    if (!UUID.test(workspaceId) || !UUID.test(fileId)) throw new Error('file store: bad id');
    return join(this.root, workspaceId, fileId);
  }

  async put(workspaceId: string, fileId: string, bytes: Buffer) {
    const target = this.path(workspaceId, fileId);
    await mkdir(join(this.root, workspaceId), { recursive: true });
    // Write then rename, so a crash never leaves half a file under the real name.
    await writeFile(`${target}.part`, bytes, { mode: 0o600 });
    await rename(`${target}.part`, target);
  }

  get(workspaceId: string, fileId: string): Readable {
    return createReadStream(this.path(workspaceId, fileId));
  }

  async remove(workspaceId: string, fileId: string) {
    await rm(this.path(workspaceId, fileId), { force: true });
  }
}
