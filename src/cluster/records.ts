/** Timeline record types live with the api layer (they describe api-level changes); re-exported here. */
export * from "../api/records.js";
