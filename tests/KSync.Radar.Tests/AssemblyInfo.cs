// Engines are shared per collection; running collections one at a time keeps the 2-core machines responsive and
// the benchmark figures clean.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
