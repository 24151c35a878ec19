import { label } from '../lib/i18n/labels.ts';
import type { Locale } from '../lib/i18n/locales.ts';

/**
 * 开放属性 and 共享类型 as badges. The words carry the meaning; colour only repeats it
 * (WCAG 1.4.1), and every colour pair passes AA contrast.
 */
export function OpenBadge({ openType, locale }: { openType: string; locale: Locale }) {
  return (
    <span className={`badge badge-open-${openType}`}>{label('openType', openType, locale)}</span>
  );
}

export function SharingBadge({ sharingType, locale }: { sharingType: string; locale: Locale }) {
  return (
    <span className={`badge badge-sharing-${sharingType}`}>
      {label('sharingType', sharingType, locale)}
    </span>
  );
}

export function PlainBadge({ children }: { children: React.ReactNode }) {
  return <span className="badge badge-plain">{children}</span>;
}
