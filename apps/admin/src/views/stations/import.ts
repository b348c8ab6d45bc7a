import { STATION_FILE_PATHS, STATION_IMPORT, type ImportRowError } from '@nuanxin/shared';
import { ApiError, getToken } from '../../api/index.ts';
import { getLang } from '../../locales/index.ts';

export interface ImportOutcome {
  imported: number;
}

/**
 * Sends the workbook as the request body with XMLHttpRequest, because fetch reports no upload
 * progress. Decision (issue #3): the server checks and imports up to 5,000 rows within seconds,
 * so the bar follows the upload and then a "checking and importing" state waits for the one
 * answer; no server-side progress feed or background job is needed.
 * A refusal is thrown as ApiError; the per-row report is in `details.errors`.
 */
export function uploadWorkbook(file: File, regionId: string, onProgress: (percent: number) => void): Promise<ImportOutcome> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${STATION_FILE_PATHS.import}?${new URLSearchParams({ regionId })}`);
    xhr.setRequestHeader('Content-Type', STATION_IMPORT.contentType);
    xhr.setRequestHeader('Accept-Language', getLang());
    const token = getToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'network error'));
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        // a proxy's HTML error page: handled below as a plain status
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as ImportOutcome);
      const error = (data as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null)?.error;
      reject(new ApiError(xhr.status, (error?.code ?? 'INTERNAL') as ApiError['code'], error?.message ?? xhr.statusText, error?.details));
    };
    xhr.send(file);
  });
}

/** The per-row report of a refused import, if the refusal carries one. */
export function rowErrorsOf(err: unknown): ImportRowError[] {
  if (!(err instanceof ApiError)) return [];
  const errors = err.details?.errors;
  return Array.isArray(errors) ? (errors as ImportRowError[]) : [];
}
