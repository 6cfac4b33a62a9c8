package org.ldmlab.p2p;

import org.ldmlab.text.Tokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;

/**
 * Prompt refinement (Prompt-to-Prompt, Hertz et al. 2022, section 3.2): "a red circle" -> "a big red circle".
 * Target token j with a source token a(j) takes its map, a new word keeps its own:
 * Edit(M_t, M_t*, t)_{i,j} := M*_{i,j} if A(j) = None else (M_t)_{i,A(j)}, with a from {@link WordAlignment#refine}.
 */
public final class AttentionRefine extends AttentionEdit {
    private final INDArray mapper;  // [L, L]: P[a(j), j] = 1
    private final INDArray aligned; // [L]: 1 where a(j) exists
    private final INDArray own;     // [L]: 1 - aligned

    public AttentionRefine(InjectionSchedule schedule, Tokenizer tokenizer, String source, String target) {
        super(schedule, tokenizer, target);
        WordAlignment alignment = WordAlignment.refine(tokenizer, source, target);
        this.mapper = alignment.mapper();
        this.aligned = alignment.aligned();
        this.own = aligned.rsub(1);
    }

    @Override
    protected INDArray editCross(INDArray source, INDArray target) {
        long[] shape = source.shape();                                                     // [heads, Nq, L]
        INDArray mapped = source.reshape(shape[0] * shape[1], shape[2])
                .mmul(mapper.castTo(source.dataType())).reshape(shape);                     // column j = M_t[:, a(j)]
        return Broadcast.mul(mapped, aligned.castTo(source.dataType()), mapped.ulike(), 2)
                .addi(Broadcast.mul(target, own.castTo(source.dataType()), target.ulike(), 2)); // [heads, Nq, L]
    }
}
