import { useQuery } from '@tanstack/react-query';
import type { SubjectsDto } from '../../../common/schemas/targets';
import { api } from '../../api/client';

/** Users and departments within the viewer's scope: the choices of the dashboard's and the targets page's pickers. */
export function useSubjects() {
  return useQuery({ queryKey: ['targets', 'subjects'], queryFn: () => api.get<SubjectsDto>('/targets/subjects'), staleTime: 60_000 });
}
