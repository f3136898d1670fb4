/**
 * Turns apiserver changes into timeline records: object records for the kinds of the contract
 * (only when the compact state changed, so heartbeats that change nothing stay silent) and
 * event records for Kubernetes Events.
 */
import type { ApiServer, WatchEvent } from "../api/apiserver.js";
import type { Event, Stored } from "../api/types.js";
import type { RecordSink } from "./records.js";
import { sameSummary, summarize, TIMELINE_KINDS } from "./summary.js";

/** Records a cluster's changes; made with its apiserver, before the first write (it compares each change with the version before). */
export class TimelineRecorder {
  constructor(
    private readonly api: ApiServer,
    private readonly sink: RecordSink,
  ) {
    api.observe((ev) => this.onChange(ev));
  }

  private onChange(ev: WatchEvent): void {
    const o = ev.object;
    if (o.kind === "Event") {
      if (ev.type !== "DELETED") this.onEvent(o as Stored<Event>, ev.old as Stored<Event> | undefined);
      return;
    }
    if (!TIMELINE_KINDS.has(o.kind)) return;
    // A change is recorded when its state differs from the previous version's, which is the last
    // state recorded (every version passes here, from the first write on): no state is kept.
    const old = ev.old;
    if (ev.type === "MODIFIED" && old !== undefined && sameSummary(old, o)) return;
    this.recordObject(ev.type, o, summarize(o));
  }

  // Built as one literal per shape (with or without a namespace), in the record's key order.
  private recordObject(verb: WatchEvent["type"], o: Stored, state: ReturnType<typeof summarize>): void {
    const t = this.api.engine.nowMs;
    const { namespace, name } = o.metadata;
    this.sink(
      namespace
        ? { t, type: "object", verb, kind: o.kind, namespace, name, state }
        : { t, type: "object", verb, kind: o.kind, name, state },
    );
  }

  private onEvent(e: Stored<Event>, old: Stored<Event> | undefined): void {
    if (old && old.count === e.count) return;
    const io = e.involvedObject;
    this.sink({
      t: this.api.engine.nowMs,
      type: "event",
      eventType: e.type === "Warning" ? "Warning" : "Normal",
      reason: e.reason ?? "",
      involved: `${io.kind}/${io.namespace ? `${io.namespace}/` : ""}${io.name}`,
      source: e.source?.component ?? "",
      message: e.message ?? "",
      ...((e.count ?? 1) > 1 ? { count: e.count } : {}),
    });
  }
}
