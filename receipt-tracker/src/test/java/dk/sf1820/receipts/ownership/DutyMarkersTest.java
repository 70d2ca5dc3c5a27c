package dk.sf1820.receipts.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void onlyAMarkerAsTheTrackerWritesItIsRead() {
        int partition = DutyMarkers.partitionOf("KSD_SFTPSIMPEL", 12);
        String key = "KSD_SFTPSIMPEL DEADLINE_NEAR /OUT/a b.zip@2026-03-02T00:00:00.123Z:4";

        assertThat(DutyMarkers.read(partition, 12, key, "done")).isEqualTo(new DutyMarkers.Marker(key, true));
        assertThat(DutyMarkers.read(partition, 12, key, null)).isEqualTo(new DutyMarkers.Marker(key, false));
        assertThatThrownBy(() -> DutyMarkers.read((partition + 1) % 12, 12, key, "done"))
                .hasMessage(
                        "sender KSD_SFTPSIMPEL belongs to partition " + partition + ", not " + (partition + 1) % 12);
        assertThatThrownBy(() -> DutyMarkers.read(partition, 12, "KSD_SFTPSIMPEL ORPHAN_DELETED /OUT/a", "done"))
                .hasMessageContaining("is not '<sender> DEADLINE_NEAR <path>@<modified>:<size>'");
        assertThatThrownBy(() -> DutyMarkers.read(partition, 12, null, "done")).hasMessage("it has no key");
        assertThatThrownBy(() -> DutyMarkers.read(partition, 12, key, "done\n"))
                .hasMessage("its value is 'done?', not 'done'");
        assertThatThrownBy(() -> DutyMarkers.read(
                        partition, 12, "KSD_SFTPSIMPEL DEADLINE_NEAR /OUT/a@2026-13-45T00:00:00Z:4", "done"))
                .hasMessageContaining("is not an ISO-8601 instant");
    }
}
