// How many live streams one client address may hold open at once. A badge page opens one stream per
// badge, so a few dozen from one office behind NAT is normal; thousands from one address is someone
// holding the server's sockets and memory.

export class StreamCap {
  private readonly open = new Map<string, number>();

  constructor(readonly perAddress: number) {
    if (!Number.isInteger(perAddress) || perAddress < 1) throw new Error('a stream cap needs an integer >= 1 per address');
  }

  /** Takes a slot for `address`, or returns false when its streams are at the cap. The release it
   * returns is safe to call more than once. */
  take(address: string): (() => void) | false {
    const count = this.open.get(address) ?? 0;
    if (count >= this.perAddress) return false;
    this.open.set(address, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(address) ?? 1) - 1;
      if (left > 0) this.open.set(address, left);
      else this.open.delete(address);
    };
  }

  /** Streams `address` holds now. */
  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
