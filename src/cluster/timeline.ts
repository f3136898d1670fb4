/**
 * Turns apiserver changes into timeline records: object records for the kinds of the contract
 * (only when the compact state changed, so heartbeats that change nothing stay silent) and
 * event records for Kubernetes Events.
 */
import type { ApiServer, WatchEvent } from "../api/apiserver.js";
import { sameJson } from "../api/same-json.js";
import type { Event, Stored } from "../api/types.js";
import type { RecordSink } from "./records.js";
import { samePodState, summarize, TIMELINE_KINDS } from "./summary.js";

export class TimelineRecorder {
  /** The state last recorded per live object (by uid), compared as its JSON text would be. */
  private readonly last = new Map<string, ReturnType<typeof summarize>>();

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
    const uid = o.metadata.uid;
    let state: ReturnType<typeof summarize>;
    if (ev.type === "MODIFIED") {
      const last = this.last.get(uid);
      // A pod is compared field by field without building its summary (most pod writes show nothing new).
      if (o.kind === "Pod") {
        if (last !== undefined && samePodState(last, o)) return;
        state = summarize(o);
      } else {
        state = summarize(o);
        if (sameJson(last, state)) return;
      }
      this.last.set(uid, state);
    } else {
      state = summarize(o);
      if (ev.type === "DELETED") this.last.delete(uid);
      else this.last.set(uid, state);
    }
    this.recordObject(ev.type, o, state);
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
