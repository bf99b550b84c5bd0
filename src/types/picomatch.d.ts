// picomatch ships no types and @types/picomatch is not installed: the part gauntlet uses.
declare module 'picomatch' {
  function picomatch(glob: string | readonly string[], options?: picomatch.PicomatchOptions): (input: string) => boolean;
  namespace picomatch {
    interface PicomatchOptions {
      /** Let * and ? match a leading dot. */
      dot?: boolean;
      nocase?: boolean;
    }
  }
  export = picomatch;
}
