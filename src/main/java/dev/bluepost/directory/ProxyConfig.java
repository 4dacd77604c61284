package dev.bluepost.directory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Set;

/** When a proxy's authorization ends besides its period. */
@ConfigMapping(prefix = "bluepost.proxies")
public interface ProxyConfig {

    /** A parent's access ends when the child reaches this age (the child's own account continues). */
    @WithDefault("18")
    int parentAccessEndsAtAge();

    /**
     * RelatedPerson.relationship codes (v3-RoleCode) that make an authorization a parent's: parent,
     * mother, father, natural and step parents, adoptive parents.
     */
    @WithDefault("PRN,MTH,FTH,NPRN,NMTH,NFTH,STPPRN,STPMTH,STPFTH,ADOPTP,ADOPTM,ADOPTF")
    Set<String> parentRelationships();
}
