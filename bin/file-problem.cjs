'use strict';
// What is wrong with a file the command line could not read or write, in plain words, for both
// bin/rebote.cjs (inspect) and bin/bulk.mjs (import, export). Node's own message names the system
// call and the error code ("EISDIR: illegal operation on a directory, read"), and for some calls
// not the path at all: the caller puts the path before these words.

/** Plain words for a file error; `writing`: the file is to be made, so a missing part is its folder. */
function fileProblem(err, writing = false) {
  switch (err && err.code) {
    case 'ENOENT': return writing ? 'its folder does not exist' : 'no such file or directory';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'a part of the path is a file, not a directory';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'ELOOP': return 'a loop of symbolic links';
    case 'ENAMETOOLONG': return 'the name is too long';
    case 'EROFS': return 'the file system is read-only';
    case 'ENOSPC': return 'no space left on the device';
    case 'EMFILE':
    case 'ENFILE': return 'too many files are open';
    default: return err instanceof Error ? err.message : String(err);
  }
}

module.exports = { fileProblem };
