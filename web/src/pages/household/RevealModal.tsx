import { PurposeModal } from '../../common/PurposeModal';

/** Asks why the full ID numbers are needed; the service records the purpose in the audit log. */
export function RevealModal({ open, onCancel, onReveal }: { open: boolean; onCancel: () => void; onReveal: (purpose: string) => void }) {
  return (
    <PurposeModal
      open={open}
      title="查看完整身份证号"
      okText="查看"
      hint="完整身份证号属于个人信息。请说明用途，本次查看将记入审计日志。"
      onCancel={onCancel}
      onOk={onReveal}
    />
  );
}
