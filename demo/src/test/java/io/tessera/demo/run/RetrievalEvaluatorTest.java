package io.tessera.demo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.demo.dataset.EvalQuery;
import io.tessera.demo.dataset.EvalTarget;
import io.tessera.demo.dataset.Modality;
import io.tessera.demo.dataset.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrievalEvaluatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode hit(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static final EvalTarget MOMENT = new EvalTarget("vid-000004", Modality.VIDEO, 2000L, 4000L, 3000L, null);
    private static final EvalTarget PAGE = new EvalTarget("doc-000002", Modality.DOCUMENT, null, null, null, 2);
    private static final EvalTarget IMAGE = new EvalTarget("img-000007", Modality.IMAGE, null, null, null, null);

    @Test
    void aFrameCountsOnlyWhenItIsWithinOneSecondOfTheMoment() throws Exception {
        assertTrue(RetrievalEvaluator.isRight(MOMENT, hit("{\"mediaId\":\"vid-000004\",\"segment\":4,\"startMs\":4900}")));
        assertTrue(RetrievalEvaluator.isRight(MOMENT, hit("{\"mediaId\":\"vid-000004\",\"segment\":1,\"startMs\":1000}")));
        assertFalse(RetrievalEvaluator.isRight(MOMENT, hit("{\"mediaId\":\"vid-000004\",\"segment\":5,\"startMs\":5100}")));
        assertFalse(RetrievalEvaluator.isRight(MOMENT, hit("{\"mediaId\":\"vid-000004\",\"segment\":0,\"startMs\":900}")));
        assertFalse(RetrievalEvaluator.isRight(MOMENT, hit("{\"mediaId\":\"vid-000005\",\"segment\":3,\"startMs\":3000}")));
    }

    @Test
    void aMergedMomentCountsWhenItsSpanMeetsTheAnnotatedMoment() throws Exception {
        // Near-identical frames merged into one moment row: 0–6 s covers the 2–4 s moment although it starts early.
        assertTrue(RetrievalEvaluator.isRight(MOMENT,
                hit("{\"mediaId\":\"vid-000004\",\"segment\":0,\"startMs\":0,\"endMs\":6000}")));
        assertTrue(RetrievalEvaluator.isRight(MOMENT,
                hit("{\"mediaId\":\"vid-000004\",\"segment\":0,\"startMs\":0,\"endMs\":1000}")));
        assertFalse(RetrievalEvaluator.isRight(MOMENT,
                hit("{\"mediaId\":\"vid-000004\",\"segment\":0,\"startMs\":0,\"endMs\":900}")));
        assertFalse(RetrievalEvaluator.isRight(MOMENT,
                hit("{\"mediaId\":\"vid-000004\",\"segment\":6,\"startMs\":5100,\"endMs\":9000}")));
    }

    @Test
    void theWholeVideoRowPointsAtNoMoment() throws Exception {
        assertFalse(RetrievalEvaluator.isRight(MOMENT, hit("{\"mediaId\":\"vid-000004\",\"segment\":-1,\"startMs\":0}")));
        assertFalse(RetrievalEvaluator.isRight(MOMENT, hit("{\"mediaId\":\"vid-000004\",\"segment\":-1}")));
    }

    @Test
    void aPageRowMustBeTheExpectedPage() throws Exception {
        assertTrue(RetrievalEvaluator.isRight(PAGE, hit("{\"mediaId\":\"doc-000002\",\"segment\":1,\"page\":2}")));
        assertFalse(RetrievalEvaluator.isRight(PAGE, hit("{\"mediaId\":\"doc-000002\",\"segment\":0,\"page\":1}")));
        assertFalse(RetrievalEvaluator.isRight(PAGE, hit("{\"mediaId\":\"doc-000002\",\"segment\":-1}")));
        assertTrue(RetrievalEvaluator.isRight(IMAGE, hit("{\"mediaId\":\"img-000007\",\"segment\":-1}")));
    }

    @Test
    void momentsAndPagesAreRankedAsSegmentsImagesAndTextsAsItems() {
        assertTrue(RetrievalEvaluator.rankedBySegment(MOMENT));
        assertTrue(RetrievalEvaluator.rankedBySegment(PAGE));
        assertFalse(RetrievalEvaluator.rankedBySegment(IMAGE));
    }

    @Test
    void rankIsThePositionOfTheFirstRightHitOrZero() throws Exception {
        EvalQuery q = new EvalQuery("eval-t2i-img-000007", Task.T2I, "a red circle", IMAGE, Map.of());
        List<JsonNode> hits = List.of(hit("{\"mediaId\":\"img-000001\"}"), hit("{\"mediaId\":\"img-000007\"}"));
        assertEquals(2, RetrievalEvaluator.rank(q, hits));
        assertEquals(0, RetrievalEvaluator.rank(q, hits.subList(0, 1)));
    }

    @Test
    void recallAtKCountsRanksUpToK() {
        Recall r = new Recall(Task.T2I, 1, List.of(1, 2, 6, 0));
        assertEquals(0.25, r.at(1));
        assertEquals(0.5, r.at(5));
        assertEquals(0.75, r.at(10));
        assertEquals(4, r.queries());
        assertEquals(0, new Recall(Task.T2V, 1, List.of()).at(1));
    }
}
