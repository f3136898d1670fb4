/** A pod's `Volumes:` section as `kubectl describe` prints it (describe.go: describeVolumes, print*VolumeSource). */
import { canonicalQuantity } from "../../api/quantity.js";
import type { Any } from "./columns.js";
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from "./describe-writer.js";

/** Quantity.String() of a stored resource value. */
const quantity = (v: string | number): string => canonicalQuantity(v) ?? String(v);

/** `Type:` and its fields, one a line, at kubectl's indentation. */
function lines(w: PrefixWriter, type: string, fields: readonly [string, unknown][]): void {
  w.write(LEVEL_2, `Type:\t${type}\n`);
  for (const [k, val] of fields) w.write(LEVEL_2, `${k}:\t${val}\n`);
}

/** printProjectedVolumeSource (kubectl 1.33: `Optional:` as a bool under each Secret/ConfigMap). */
function printProjected(p: Any, w: PrefixWriter): void {
  w.write(LEVEL_2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
  for (const s of (p.sources ?? []) as Any[]) {
    if (s.secret) {
      w.write(LEVEL_2, `SecretName:\t${s.secret.name ?? ""}\n`);
      w.write(LEVEL_2, `Optional:\t${s.secret.optional === true}\n`);
    } else if (s.downwardAPI) w.write(LEVEL_2, "DownwardAPI:\ttrue\n");
    else if (s.configMap) {
      w.write(LEVEL_2, `ConfigMapName:\t${s.configMap.name ?? ""}\n`);
      w.write(LEVEL_2, `Optional:\t${s.configMap.optional === true}\n`);
    } else if (s.serviceAccountToken) {
      // The apiserver defaults expirationSeconds to 3600.
      w.write(LEVEL_2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 3600}\n`);
    }
  }
}

/** printDownwardAPIVolumeSource: each item as `fieldPath -> path`. */
function printDownwardAPI(d: Any, w: PrefixWriter): void {
  w.write(LEVEL_2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
  for (const item of (d.items ?? []) as Any[]) {
    if (item.fieldRef) w.write(LEVEL_3, `${item.fieldRef.fieldPath} -> ${item.path}\n`);
    if (item.resourceFieldRef) w.write(LEVEL_3, `${item.resourceFieldRef.resource} -> ${item.path}\n`);
  }
}

/** The `Type:` lines of the volume sources kubesim models; any other source is `<unknown>`. */
function describeVolumeSource(v: Any, w: PrefixWriter): void {
  if (v.hostPath) {
    lines(w, "HostPath (bare host directory volume)", [
      ["Path", v.hostPath.path],
      ["HostPathType", v.hostPath.type ?? "<none>"],
    ]);
  } else if (v.emptyDir) {
    const limit = v.emptyDir.sizeLimit;
    lines(w, "EmptyDir (a temporary directory that shares a pod's lifetime)", [
      ["Medium", v.emptyDir.medium ?? ""],
      ["SizeLimit", limit && quantity(limit) !== "0" ? quantity(limit) : "<unset>"],
    ]);
  } else if (v.secret) {
    lines(w, "Secret (a volume populated by a Secret)", [
      ["SecretName", v.secret.secretName ?? ""],
      ["Optional", v.secret.optional === true],
    ]);
  } else if (v.configMap) {
    lines(w, "ConfigMap (a volume populated by a ConfigMap)", [
      ["Name", v.configMap.name ?? ""],
      ["Optional", v.configMap.optional === true],
    ]);
  } else if (v.persistentVolumeClaim) {
    lines(w, "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)", [
      ["ClaimName", v.persistentVolumeClaim.claimName],
      ["ReadOnly", v.persistentVolumeClaim.readOnly === true],
    ]);
  } else if (v.projected) printProjected(v.projected, w);
  else if (v.downwardAPI) printDownwardAPI(v.downwardAPI, w);
  else if (v.ephemeral) {
    // Simplification: the inline claim template's details (printPersistentVolumeClaim) are left out.
    lines(
      w,
      "EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)",
      [],
    );
  } else w.write(LEVEL_1, "<unknown>\n");
}

/** describeVolumes: `Volumes:\t<none>` or each volume with its source; `space` is "  " in a pod template. */
export function describeVolumes(volumes: readonly Any[] | undefined, w: PrefixWriter, space = ""): void {
  if (!volumes?.length) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(LEVEL_0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(LEVEL_1, `${space ? " " : ""}${v.name}:\n`);
    describeVolumeSource(v, w);
  }
}
