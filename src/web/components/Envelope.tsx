import { useQuery } from '@tanstack/react-query';
import { POSTCODE_BOX, type EnvelopeDto, type EnvelopeTemplateDto } from '../../common/schemas/print';
import { api } from '../api/client';
import './print.css';

export const ENVELOPE_TEMPLATES_KEY = ['envelope-templates'] as const;

/** The company's envelope templates, the default first. */
export function useEnvelopeTemplates() {
  return useQuery({ queryKey: ENVELOPE_TEMPLATES_KEY, queryFn: () => api.get<{ items: EnvelopeTemplateDto[] }>('/envelope-templates').then((r) => r.items) });
}

type Template = Pick<EnvelopeTemplateDto, 'widthMm' | 'heightMm' | 'layout' | 'fontSize' | 'senderCompany' | 'senderAddress' | 'senderPostcode'>;
export type EnvelopeContent = Omit<EnvelopeDto, 'customerId'>;

const at = (p: { x: number; y: number }) => ({ left: `${p.x}mm`, top: `${p.y}mm` });

/**
 * One envelope at its real size, in the classic Chinese layout: six postcode
 * boxes, address, company, the recipient, and the sender block, each where the
 * template puts it. The settings preview and the print page both draw this.
 */
export function Envelope({ template, data, labels }: { template: Template; data: EnvelopeContent; labels: { to: string; postcode: string } }) {
  const digits = (data.postcode ?? '').padEnd(6).slice(0, 6).split('');
  const recipient = [data.contactName, data.contactTitle].filter(Boolean).join(' ');
  const senderPostcode = template.senderPostcode ? `${labels.postcode}${template.senderPostcode}` : '';
  return (
    <div className="envelope" data-testid="envelope" style={{ width: `${template.widthMm}mm`, height: `${template.heightMm}mm`, fontSize: `${template.fontSize}pt` }}>
      <div className="envelope-block envelope-postcode" style={{ ...at(template.layout.postcode), gap: `${POSTCODE_BOX.gap}mm` }} data-testid="envelope-postcode">
        {digits.map((d, i) => (
          <span key={i} style={{ width: `${POSTCODE_BOX.width}mm`, height: `${POSTCODE_BOX.height}mm` }}>
            {d.trim()}
          </span>
        ))}
      </div>
      <div className="envelope-block" style={at(template.layout.address)}>
        {data.address}
      </div>
      <div className="envelope-block" style={at(template.layout.company)}>
        {data.company}
      </div>
      <div className="envelope-block envelope-recipient" style={at(template.layout.recipient)}>
        {recipient ? `${recipient} ${labels.to}` : labels.to}
      </div>
      <div className="envelope-block" style={{ ...at(template.layout.sender), fontSize: '0.8em' }}>
        {[template.senderCompany, template.senderAddress, senderPostcode].filter(Boolean).join('\n')}
      </div>
    </div>
  );
}
