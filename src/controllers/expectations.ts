/**
 * ControllerExpectations (controller_utils.go): after creating or deleting pods a controller waits
 * until its watch has shown it those changes before acting again, or until 5 minutes pass.
 */

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Expectation {
  adds: number;
  dels: number;
  /** UIDs of pods whose deletion is expected (UIDTrackingControllerExpectations). */
  deleting: Set<string>;
  setAtMs: number;
}

export class Expectations {
  private readonly byKey = new Map<string, Expectation>();

  /** True when the controller may act: nothing expected, all seen, or the expectation expired. */
  satisfied(key: string, nowMs: number): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    return (e.adds <= 0 && e.dels <= 0) || nowMs - e.setAtMs > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, n: number, nowMs: number): void {
    this.byKey.set(key, { adds: n, dels: 0, deleting: new Set(), setAtMs: nowMs });
  }

  expectDeletions(key: string, uids: string[], nowMs: number): void {
    this.byKey.set(key, { adds: 0, dels: uids.length, deleting: new Set(uids), setAtMs: nowMs });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.adds--;
  }

  deletionObserved(key: string, uid: string): void {
    const e = this.byKey.get(key);
    if (e?.deleting.delete(uid)) e.dels--;
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}
