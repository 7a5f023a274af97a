package org.kernels4j.cli;

import java.util.concurrent.Callable;
import org.kernels4j.balance.recommend.MnarRatings;
import org.kernels4j.examples.DebiasedRecommendation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kernels4j recommend}: the debiased recommendation experiment ({@link DebiasedRecommendation}) on simulated data. */
@Command(name = "recommend", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Debiased matrix factorisation on ratings missing not at random, with kernel-balancing weights.",
            "Simulates a users x items rating matrix (1..5) whose pairs are observed with a probability that rises with "
            + "the rating, trains matrix factorisation naively, with IPS/DR losses weighted by naive-Bayes propensities, "
            + "by the true propensities (an oracle) and by kernel-balancing weights (Li et al., ICLR 2024), and prints "
            + "each model's mean squared error on pairs drawn at random."})
final class RecommendCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--users", defaultValue = "300", description = "Users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--items", defaultValue = "300", description = "Items (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--observed", defaultValue = "0.05", description = "Fraction of pairs observed "
            + "(default: ${DEFAULT-VALUE}).")
    double observed;

    @Option(names = "--selection", defaultValue = "1", description = "How strongly a pair's chance to be observed "
            + "rises with its rating; 0 is missing at random (default: ${DEFAULT-VALUE}).")
    double selection;

    @Option(names = "--exposure", defaultValue = "0", description = "How strongly it rises with the user's and the "
            + "item's popularity (default: ${DEFAULT-VALUE}).")
    double exposure;

    @Option(names = "--anchors", defaultValue = "50", description = "Kernel balancing anchors (default: ${DEFAULT-VALUE}).")
    int anchors;

    @Option(names = "--epochs", defaultValue = "30", description = "Training epochs per model (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the data and the training "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        MnarRatings data = MnarRatings.builder().users(users).items(items).observedFraction(observed)
                .selectionStrength(selection).exposureStrength(exposure)
                .testPairs((int) Math.min(5000, (long) users * items)).seed(seed).generate();
        DebiasedRecommendation.Result r = DebiasedRecommendation.builder().anchors(anchors).epochs(epochs).seed(seed)
                .build().run(data);
        spec.commandLine().getOut().print(r);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
