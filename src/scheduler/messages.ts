/** The scheduler's messages: FitError.Error(), the DefaultPreemption postfix, event truncation. */

/** NoNodeAvailableMsg: the start of every FitError. */
export function noNodeAvailable(numAllNodes: number): string {
  return `0/${numAllNodes} nodes are available`;
}

/** ErrNoNodesAvailable: the message when the cluster has no nodes at all. */
export const NO_NODES_AVAILABLE = "no nodes available to schedule pods";

/**
 * FitError.Error: each reason prefixed by how many nodes gave it, sorted as strings (so "10 …"
 * sorts before "2 …", as in Kubernetes), joined by ", ", then a period; then the PostFilter message.
 */
export function fitErrorMessage(
  numAllNodes: number,
  reasons: ReadonlyMap<string, number>,
  postFilterMsg = "",
): string {
  let msg = `${noNodeAvailable(numAllNodes)}:`;
  const parts = [...reasons].map(([reason, n]) => `${n} ${reason}`).sort();
  if (parts.length > 0) msg += ` ${parts.join(", ")}.`;
  if (postFilterMsg) msg += ` ${postFilterMsg}`;
  return msg;
}

/** Preemption's reason for nodes where removing pods cannot help (framework absent-nodes status). */
export const PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling";
/** SelectVictimsOnNode when the node has no pod of lower priority. */
export const NO_PREEMPTION_VICTIMS = "No preemption victims found for incoming pod";
/** PodEligibleToPreemptOthers for preemptionPolicy: Never. */
export const NOT_ELIGIBLE_NEVER = "not eligible due to preemptionPolicy=Never.";

/** DefaultPreemption.PostFilter prefixes its evaluator's message. */
export function preemptionMessage(inner: string): string {
  return `preemption: ${inner}`;
}

/** validation.NoteLengthLimit: longer event messages are cut and end in " ...". */
export const NOTE_LENGTH_LIMIT = 1024;

/** truncateMessage. */
export function truncateMessage(message: string): string {
  if (message.length <= NOTE_LENGTH_LIMIT) return message;
  return `${message.slice(0, NOTE_LENGTH_LIMIT - 4)} ...`;
}

/** The Scheduled event's message. */
export function scheduledMessage(namespace: string, name: string, nodeName: string): string {
  return `Successfully assigned ${namespace}/${name} to ${nodeName}`;
}
