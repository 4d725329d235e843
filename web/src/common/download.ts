import { ApiError, type ErrorBody } from '../api/client';

/** The file name of a Content-Disposition header (RFC 5987 filename* first). */
function fileName(header: string | null, fallback: string): string {
  const star = header?.match(/filename\*=UTF-8''([^;]+)/i);
  if (star) return decodeURIComponent(star[1]);
  const plain = header?.match(/filename="?([^";]+)"?/i);
  return plain ? plain[1] : fallback;
}

/**
 * Downloads a file GET route with the session cookie and saves it under the service's file name;
 * a refusal throws an ApiError with the service's message (a plain link would show raw JSON).
 */
export async function download(url: string, fallback = 'download'): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'include' });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as Partial<ErrorBody> | null;
    throw new ApiError(res.status, body?.code ?? 'ERROR', body?.message ?? `下载失败（HTTP ${res.status}）`, body?.details ?? []);
  }
  const name = fileName(res.headers.get('Content-Disposition'), fallback);
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return name;
}
