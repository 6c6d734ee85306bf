// Trigger start times: declared as ISO 8601, stored by Mage as naive UTC `str(datetime)`.

/** Declared ISO times and Mage's naive "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC) meet here. */
export function normalizeTime(value: string | undefined): string {
  if (!value) return "";
  const naive = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(value.trim());
  const date = new Date(naive ? `${value.trim().replace(" ", "T")}${value.includes(":") ? "" : "T00:00:00"}Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
