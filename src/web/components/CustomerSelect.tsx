import { api } from '../api/client';
import type { CustomerDto, Page } from '../api/types';
import { RemoteSelect, type RemoteOption, type RemoteSelectProps } from './RemoteSelect';

const toOption = (c: CustomerDto): RemoteOption => ({ value: c.id, label: c.ownerName ? `${c.name} · ${c.ownerName}` : c.name });

/** Picks a customer the signed-in user can see, by name. */
export function CustomerSelect(props: RemoteSelectProps) {
  return (
    <RemoteSelect
      {...props}
      queryKey="customers"
      search={(q) =>
        api.get<Page<CustomerDto>>('/customers', { q, limit: 20, sort: 'name', order: 'asc' }).then((p) => p.items.map(toOption))
      }
      resolve={(id) => api.get<CustomerDto>(`/customers/${id}`).then(toOption)}
    />
  );
}
