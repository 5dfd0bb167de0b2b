import { ApiError, reportSessionEnded, sessionHeaders } from './client.ts';

/** How much of an upload has left the browser. */
export interface UploadProgress {
  sent: number;
  total: number;
}

/** The media types the upload routes take (src/api/binary-body.ts). */
export type UploadType = 'application/x-tar' | 'application/gzip' | 'application/octet-stream';

/** An image's media type from its file name; the server tells gzip from plain tar by its bytes anyway. */
export function imageUploadType(fileName: string): UploadType {
  if (/\.(tar\.gz|tgz)$/i.test(fileName)) return 'application/gzip';
  if (/\.tar$/i.test(fileName)) return 'application/x-tar';
  return 'application/octet-stream';
}

/**
 * Sends a file as the body of a PUT (an image's rootfs, a kernel's vmlinuz or initrd) and
 * reports the bytes sent as they go. It is XMLHttpRequest, not fetch, because fetch says nothing
 * about an upload's progress; the browser streams the file from disk either way. The answer is
 * the API's JSON, or an ApiError with the server's code, as `unwrap` gives for other calls.
 */
export function uploadFile<T>(opts: {
  path: string;
  file: Blob;
  contentType: UploadType;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', opts.path);
    xhr.setRequestHeader('content-type', opts.contentType);
    for (const [name, value] of Object.entries(sessionHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => opts.onProgress?.({ sent: e.loaded, total: e.lengthComputable ? e.total : opts.file.size });
    xhr.onload = () => {
      const body = parse(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body as T);
        return;
      }
      if (xhr.status === 401) reportSessionEnded();
      const error = (body as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
      reject(new ApiError(xhr.status, error?.code ?? `HTTP_${xhr.status}`, error?.message ?? xhr.statusText, error?.details));
    };
    // A server that refuses an upload early closes the connection while the file is still
    // going out, and the browser may see only that: the object's status says why.
    xhr.onerror = () => reject(new Error('the connection ended before the server answered; its status says why'));
    xhr.onabort = () => reject(new DOMException('the upload was cancelled', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(opts.file);
  });
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
