/** `kubectl get` tables of persistent volumes, claims and storage classes. */
import { type Any, age, cols, type KindTable, NAME, quantityText, wideCols } from "./columns.js";

const ACCESS_MODES: [string, string][] = [
  ["ReadWriteOnce", "RWO"],
  ["ReadOnlyMany", "ROX"],
  ["ReadWriteMany", "RWX"],
  ["ReadWriteOncePod", "RWOP"],
];

/** GetAccessModesAsString: `RWO,RWX`, always in this fixed order. */
function accessModes(modes: string[] | undefined): string {
  const set = new Set(modes ?? []);
  return ACCESS_MODES.filter(([m]) => set.has(m))
    .map(([, short]) => short)
    .join(",");
}

/** The beta annotation still wins over spec.storageClassName (GetPersistentVolume(Claim)Class). */
function storageClass(o: Any): string {
  return (
    o.metadata?.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? o.spec?.storageClassName ?? ""
  );
}

export const PERSISTENT_VOLUME: KindTable = {
  columns: [
    NAME,
    ...cols("CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS"),
    ...cols("VOLUMEATTRIBUTESCLASS", "REASON", "AGE"),
    ...wideCols("VOLUMEMODE"),
  ],
  row(o, ctx) {
    const ref = o.spec?.claimRef;
    return [
      o.metadata.name,
      quantityText(o.spec?.capacity?.storage),
      accessModes(o.spec?.accessModes),
      o.spec?.persistentVolumeReclaimPolicy ?? "",
      o.metadata.deletionTimestamp ? "Terminating" : (o.status?.phase ?? ""),
      ref ? `${ref.namespace ?? ""}/${ref.name ?? ""}` : "",
      storageClass(o),
      o.spec?.volumeAttributesClassName ?? "<unset>",
      o.status?.reason ?? "",
      age(o, ctx),
      o.spec?.volumeMode ?? "<unset>",
    ];
  },
};

export const PERSISTENT_VOLUME_CLAIM: KindTable = {
  columns: [
    NAME,
    ...cols("STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"),
    ...wideCols("VOLUMEMODE"),
  ],
  row(o, ctx) {
    // Capacity and access modes are shown only once the claim is bound to a volume.
    const bound = Boolean(o.spec?.volumeName);
    return [
      o.metadata.name,
      o.metadata.deletionTimestamp ? "Terminating" : (o.status?.phase ?? ""),
      o.spec?.volumeName ?? "",
      bound ? quantityText(o.status?.capacity?.storage) : "",
      bound ? accessModes(o.status?.accessModes) : "",
      storageClass(o),
      o.spec?.volumeAttributesClassName ?? "<unset>",
      age(o, ctx),
      o.spec?.volumeMode ?? "<unset>",
    ];
  },
};

const DEFAULT_CLASS_ANNOTATIONS = [
  "storageclass.kubernetes.io/is-default-class",
  "storageclass.beta.kubernetes.io/is-default-class",
];

export const STORAGE_CLASS: KindTable = {
  columns: [
    NAME,
    ...cols("PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"),
  ],
  row(o, ctx) {
    const ann = (o.metadata.annotations ?? {}) as Record<string, string>;
    const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((k) => ann[k] === "true");
    return [
      isDefault ? `${o.metadata.name} (default)` : o.metadata.name,
      o.provisioner ?? "",
      o.reclaimPolicy ?? "Delete",
      o.volumeBindingMode ?? "Immediate",
      String(o.allowVolumeExpansion === true),
      age(o, ctx),
    ];
  },
};
