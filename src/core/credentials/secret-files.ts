import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { WifError } from '../errors.ts';

/**
 * Credential files live in a fresh 0700 directory under the runner's temp dir, each 0600, and
 * are never written through a symlink: the directory is created by us (mkdtemp), files are
 * opened with O_EXCL|O_NOFOLLOW, and replacing a file is a rename of a new file over it.
 */
export class SecretDirectory {
  readonly path: string;

  private constructor(path: string) {
    this.path = path;
  }

  /** Creates `<parent>/wif-XXXXXX` with mode 0700. The parent must be a real directory. */
  static async create(parent: string, prefix = 'wif-'): Promise<SecretDirectory> {
    let info;
    try {
      info = await lstat(parent);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw ioError(`inspect ${parent}`, error);
      await mkdir(parent, { recursive: true, mode: 0o700 }).catch((e: unknown) => {
        throw ioError(`create ${parent}`, e);
      });
      info = await lstat(parent);
    }
    if (info.isSymbolicLink()) {
      throw new WifError(
        'io',
        `Refusing to write credentials under ${parent}: it is a symbolic link.`,
        {
          fix: 'Point RUNNER_TEMP (or --output-dir) at a real directory.',
        },
      );
    }
    if (!info.isDirectory()) {
      throw new WifError('io', `Cannot write credentials under ${parent}: it is not a directory.`, {
        fix: 'Point RUNNER_TEMP (or --output-dir) at a directory.',
      });
    }
    const path = await mkdtemp(join(parent, prefix)).catch((e: unknown) => {
      throw ioError(`create a directory in ${parent}`, e);
    });
    // mkdtemp uses 0700 already; checked rather than assumed, since a umask cannot widen it.
    const mode = (await stat(path)).mode & 0o777;
    if (mode !== 0o700)
      throw new WifError('io', `${path} was created with mode ${mode.toString(8)}, not 700.`);
    return new SecretDirectory(path);
  }

  /** Adopts an existing directory written by us earlier (the post step, the refresher). */
  static adopt(path: string): SecretDirectory {
    return new SecretDirectory(path);
  }

  /** Writes (or atomically replaces) `fileName` with mode 0600 and returns its path. */
  async write(fileName: string, content: string): Promise<string> {
    if (fileName !== basename(fileName) || fileName === '' || fileName.startsWith('.')) {
      throw new WifError(
        'io',
        `Refusing to write credential file "${fileName}": it must be a plain file name.`,
      );
    }
    const target = join(this.path, fileName);
    await writeFileAtomically(target, content);
    return target;
  }

  /** Removes the directory and everything in it; missing is fine (cleanup runs twice at worst). */
  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}

/**
 * Writes `path` (mode 0600) so that no reader ever sees it partly written: the content goes to
 * a new sibling opened with O_EXCL|O_NOFOLLOW, which is then renamed over `path`. A symlink at
 * `path` is replaced, never followed.
 */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  let handle;
  try {
    handle = await open(temp, flags, 0o600);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw ioError(`write ${path}`, error);
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw ioError(`write ${path}`, error);
  }
}

function ioError(action: string, error: unknown): WifError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const reason =
    code === 'ELOOP'
      ? 'a symbolic link is in the way'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOSPC'
          ? 'the disk is full'
          : code;
  return new WifError('io', `Could not ${action}: ${reason}.`, { cause: error });
}
