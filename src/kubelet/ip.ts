/** Pod IPs from a node's podCIDR (host-local IPAM): .2, .3, … handed out lowest-free first. */

/** Allocates addresses of one /24 pod CIDR; .1 is the bridge gateway, .255 broadcast. */
export class IpAllocator {
  private readonly prefix: string;
  private readonly used = new Uint8Array(256);
  private inUse = 0;

  /** `cidr` like `10.244.3.0/24`. */
  constructor(cidr: string) {
    const base = cidr.split("/")[0] ?? cidr;
    this.prefix = base.slice(0, base.lastIndexOf(".") + 1);
  }

  /** The lowest free address, or undefined when the range is exhausted. */
  allocate(): string | undefined {
    for (let i = 2; i < 255; i++) {
      if (this.used[i]) continue;
      this.used[i] = 1;
      this.inUse++;
      return this.prefix + i;
    }
    return undefined;
  }

  /** Returns an address to the pool (unknown addresses are ignored). */
  release(ip: string): void {
    if (!ip.startsWith(this.prefix)) return;
    const i = Number(ip.slice(this.prefix.length));
    if (Number.isInteger(i) && i >= 2 && i < 255 && this.used[i]) {
      this.used[i] = 0;
      this.inUse--;
    }
  }

  /** Addresses currently handed out. */
  get size(): number {
    return this.inUse;
  }

  /** Forgets every allocation (the node's CNI state is gone after a crash). */
  clear(): void {
    this.used.fill(0);
    this.inUse = 0;
  }
}
