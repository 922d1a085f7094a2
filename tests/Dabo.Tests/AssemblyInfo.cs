// libtorch's global random generator (model initialization after torch.manual_seed) and the
// process-wide console that CLI tests redirect are shared state: tests run one at a time so that
// seeded results are reproducible. The whole suite still takes about a minute on 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
