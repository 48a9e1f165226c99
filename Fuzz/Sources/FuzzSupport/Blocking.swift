import Dispatch

/// Runs async code to completion from libFuzzer's synchronous callback. Only for code that does not need the
/// calling thread (the broker's token checks await actors, never this thread).
public func blocking<Result: Sendable>(_ body: @escaping @Sendable () async -> Result) -> Result {
    let done = DispatchSemaphore(value: 0)
    let box = ResultBox<Result>()
    Task {
        box.value = await body()
        done.signal()
    }
    done.wait()
    return box.value!
}

/// Hands a result from the task to the waiting thread; the semaphore orders the write before the read.
private final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}
