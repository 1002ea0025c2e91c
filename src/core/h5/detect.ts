/** Whether a path is an HDF5 file (by its signature, not its name): `--gt X.h5` vs a SumMe / TVSum .mat. */
import fs from 'node:fs';

export const HDF5_SIGNATURE = '\x89HDF\r\n\x1a\n';

/** True for an HDF5 file with its superblock at 0 (MATLAB v7.3 files start with a 512-byte text header instead). */
export function isHdf5File(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(8);
    fs.readSync(fd, head, 0, 8, 0);
    return head.toString('latin1') === HDF5_SIGNATURE;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
