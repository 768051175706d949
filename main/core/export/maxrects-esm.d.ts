// maxrects-packer 2.7 says "type": "module" but its "main" is a UMD bundle, which Node then loads as
// an ES module that exports nothing; its real ES build is dist/maxrects-packer.mjs, typed like the package.
declare module 'maxrects-packer/dist/maxrects-packer.mjs' {
  export * from 'maxrects-packer';
}
