/**
 * Facts that features announce for the measures to count, as synchronous CDI events fired inside
 * the announcing transaction: the feature that sees a patient's portal account activated, or a
 * patient's information shown, fires the record here; {@code measurement}, which sits above every
 * feature, observes it and stores its fact in the same transaction. So no feature depends on
 * measurement (docs/architecture.md, "Dependency rules").
 */
package dev.bluepost.platform.facts;
