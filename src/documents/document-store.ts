import { Injectable } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { AppConfig } from '../config/config';

/** Where document bytes live: a folder here, a bucket elsewhere; rows keep only the key. */
export abstract class DocumentStore {
  abstract put(key: string, bytes: Buffer): Promise<void>;
  /** A stream to write a large file to; `commit` makes it visible under its key. */
  abstract writer(key: string): Promise<{ out: Writable; commit(): Promise<void> }>;
  abstract read(key: string): Readable;
  /** The local path of a stored file (for tools that read files, such as LibreOffice). */
  abstract path(key: string): string;
  abstract size(key: string): Promise<number>;
}

const SAFE_KEY = /^[\w-]+(\/[\w.-]+)*$/;

/** The document store as a folder (DOCUMENT_DIR): written to a temporary name, then renamed. */
@Injectable()
export class FolderStore extends DocumentStore {
  private readonly root: string;

  constructor(config: AppConfig) {
    super();
    this.root = resolve(config.documentDir);
  }

  path(key: string): string {
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`bad storage key ${key}`);
    return join(this.root, key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, target);
  }

  async writer(key: string): Promise<{ out: Writable; commit(): Promise<void> }> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    return { out: createWriteStream(tmp), commit: () => rename(tmp, target) };
  }

  read(key: string): Readable {
    return createReadStream(this.path(key));
  }

  async size(key: string): Promise<number> {
    return (await stat(this.path(key))).size;
  }
}
