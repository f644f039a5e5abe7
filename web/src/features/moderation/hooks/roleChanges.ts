import type { ParticipantRole } from '../../../api';

/**
 * The role changes a host may make on a participant, as the server allows them: guests have no
 * role and the owner's is fixed; only the owner makes or unmakes admins; any host may make a
 * signed-in participant without a role (`user`) a member.
 */
export function roleChanges(
  me: ParticipantRole | null,
  them: ParticipantRole | null,
): readonly ('admin' | 'member')[] {
  const changes: ('admin' | 'member')[] = [];
  if (me === 'owner' && (them === 'member' || them === 'user')) changes.push('admin');
  if (
    (me === 'owner' && them === 'admin') ||
    ((me === 'owner' || me === 'admin') && them === 'user')
  ) {
    changes.push('member');
  }
  return changes;
}
