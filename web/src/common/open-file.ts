import { ApiError, type ErrorBody } from '../api/client';

/**
 * Shows a file GET route (an image or PDF) in a new tab: the tab opens at the click (no popup
 * blocker), the bytes come with the session cookie and are shown from a blob URL (the service
 * sends files as attachments, which a plain link would download). A refusal closes the tab and
 * throws the service's message.
 */
export async function openInNewTab(url: string): Promise<void> {
  const tab = window.open('', '_blank');
  try {
    const res = await fetch(url, { credentials: 'include' });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as Partial<ErrorBody> | null;
      throw new ApiError(res.status, body?.code ?? 'ERROR', body?.message ?? `打开失败（HTTP ${res.status}）`);
    }
    const href = URL.createObjectURL(await res.blob());
    if (tab) tab.location.href = href;
    else window.location.href = href;
  } catch (e) {
    tab?.close();
    throw e instanceof ApiError ? e : new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
}
