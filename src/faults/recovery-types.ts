/** What the recovery tracker records of a node fault and of each pod it cost. */
import type { ActiveNodeFault } from "./node-faults.js";

/** The pod that took a lost pod's place (same controller, created after the loss). */
export interface Replacement {
  key: string;
  uid: string;
  createdMs: number;
  scheduledMs?: number;
  node?: string;
  runningMs?: number;
  readyMs?: number;
}

/** A pod that was on the faulty node while the fault was active. */
export interface LostPod {
  key: string;
  uid: string;
  /** The controller's uid (ReplicaSet, StatefulSet…); none for a bare pod. */
  ownerUid?: string;
  owner?: string;
  /** When it got its deletionTimestamp (or was removed), and by whom (the DisruptionTarget reason). */
  evictedMs?: number;
  evictedBy?: string;
  replacement?: Replacement;
  /** The pod is serving again: its replacement Ready, or itself Ready again after the heal. */
  recoveredMs?: number;
  inPlace?: boolean;
}

/** One fault and its consequences, in the order they happen. */
export interface FaultTrack {
  fault: Readonly<ActiveNodeFault>;
  /** The node's last sign of life before the fault: its Lease's renewTime. */
  lastHeartbeatMs?: number;
  /** Ready left True (the node controller's NodeStatusUnknown). */
  notReadyMs?: number;
  notReadyStatus?: string;
  /** The NoExecute taint (unreachable or not-ready) arrived. */
  taintedMs?: number;
  taint?: string;
  healedMs?: number;
  pods: LostPod[];
  /** The Recovered step has been recorded. */
  recovered: boolean;
}

/** The phases of a recovery, in order: each is the time from the previous milestone. */
export const PHASES = [
  ["heartbeatToNotReady", "last heartbeat → node NotReady/Unknown"],
  ["notReadyToTaint", "NotReady → NoExecute taint"],
  ["taintToEviction", "taint → eviction"],
  ["evictionToCreated", "eviction → replacement created"],
  ["createdToScheduled", "created → scheduled"],
  ["scheduledToRunning", "scheduled → running"],
  ["runningToReady", "running → ready"],
] as const;

export type PhaseName = (typeof PHASES)[number][0];
