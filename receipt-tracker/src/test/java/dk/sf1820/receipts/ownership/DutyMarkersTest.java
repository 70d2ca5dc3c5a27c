package dk.sf1820.receipts.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DutyMarkersTest {

    /** Every instance, and every restart, must map a sender to the same partition, or two would own it. */
    @Test
    void aSendersPartitionIsKafkasOwnKeyHashSoEveryInstanceAgrees() {
        assertThat(DutyMarkers.partitionOf("KSD_SFTPSIMPEL", 12))
                .isEqualTo(DutyMarkers.partitionOf("KSD_SFTPSIMPEL", 12))
                .isBetween(0, 11);
        assertThat(DutyMarkers.partitionOf("KSD_SFTPSIMPEL", 1)).isZero();
        // pinned: a different hash after an upgrade would move every sender while old instances still run
        assertThat(DutyMarkers.partitionOf("KSD_SFTPSIMPEL", 12)).isEqualTo(10);
    }

    @Test
    void aDoneDutyIsNamedBySenderAndDuty() {
        assertThat(DutyMarkers.key("KSD_SFTPSIMPEL", "DEADLINE_NEAR /OUT/a.zip@2026-03-02T00:00:00Z:4"))
                .isEqualTo("KSD_SFTPSIMPEL DEADLINE_NEAR /OUT/a.zip@2026-03-02T00:00:00Z:4");
    }
}
