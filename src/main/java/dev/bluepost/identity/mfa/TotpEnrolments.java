package dev.bluepost.identity.mfa;

import dev.bluepost.identity.SecondFactors;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** The second factor as {@code identity} sees it: TOTP enrolments ({@link UserTotp}) and recovery codes ({@link RecoveryCode}). */
@ApplicationScoped
public class TotpEnrolments implements SecondFactors {

    @Override
    public boolean enrolled(UUID userId) {
        return UserTotp.count("userId = ?1 and enrolledAt is not null", userId) > 0;
    }

    @Override
    public Set<UUID> enrolledAmong(Collection<UUID> userIds) {
        return new HashSet<>(
                UserTotp.getEntityManager()
                        .createQuery(
                                "select t.userId from UserTotp t where t.userId in :ids and t.enrolledAt is not null",
                                UUID.class)
                        .setParameter("ids", userIds)
                        .getResultList());
    }

    @Override
    public boolean unusedRecoveryCodes(UUID userId) {
        return RecoveryCode.count("userId = ?1 and usedAt is null", userId) > 0;
    }

    @Override
    public void remove(UUID userId) {
        UserTotp.delete("userId", userId);
        RecoveryCode.delete("userId", userId);
    }
}
